"""The header of a profile page: the city, its country, the mayor and the population.

The site prints them in that order, each on its own line, with or without the `Mayor` /
`Population` labels, and a copy may begin at any of them (most often at the mayor's name). A
line is given a slot only if it looks like one: the population is a figure, the country is on
the country list, the mayor looks like a person's name, and the city is the name the page's own
headings and sentences use (or, in the site's order, the line right before the country). A line
that looks like none of the slots still open is left out with a note, never guessed.
"""

from __future__ import annotations

import re

from citykg.model.vocabulary import normalise
from citykg.sources.text.common import QUALIFIER, Collector, Span, V, is_country, looks_like_people
from citykg.sources.text.layout import POPULATION, POPULATION_LOOSE, Page, is_block_label

SLOTS = ("name", "country", "mayor", "population")
FIELD = {
    "name": "city.name",
    "country": "city.country",
    "mayor": "city.mayor",
    "population": "city.population",
}
WHAT = {
    "name": "the city's name",
    "country": "a country",
    "mayor": "a person's name",
    "population": "a population figure",
}


def is_figure(text: str) -> bool:
    """A line that is a number (a population figure, well formed or not): never a name."""
    return bool(re.fullmatch(r"[\d\s,.()]*\d[\d\s,.()]*", text))


def names_city(text: str, city: str | None) -> bool:
    """`Denver, CO` or `Denver` names the city the sentences call Denver."""
    if city is None:
        return False
    line, name = normalise(text), normalise(city)
    return line == name or (text.lower().startswith(city.lower() + ",") and len(text) <= len(city) + 12)


def read_header(
    page: Page,
    lines: list[int],
    c: Collector,
    city: str | None,
    *,
    before: str | None = None,
    note_left_out: bool = True,
) -> list[int]:
    """Give each of `lines` (page order) a slot that precedes `before` (the first labelled slot);
    returns the lines left out (noted as ambiguous unless `note_left_out` is False).

    The lines are read from the last one back, so each slot can only be earlier than the one
    after it, as on the site.
    """
    limit = SLOTS.index(before) if before in SLOTS else len(SLOTS)
    found: dict[str, int] = {}
    left_out: list[int] = []
    for idx in reversed(lines):
        slot = _slot(page.text(idx), city, limit, found)
        if slot is None:
            left_out.append(idx)
            continue
        if put_header(page, idx, slot, c):
            found[slot] = idx
            limit = SLOTS.index(slot)
        else:
            left_out.append(idx)
    left_out.reverse()
    if not note_left_out:
        return left_out
    for idx in left_out:
        text = page.text(idx)
        open_slots = [s for s in SLOTS if s not in found and _between(idx, s, found)]
        what = " or ".join(WHAT[s] for s in open_slots) or "a header value"
        c.kind(idx + 1, "ambiguous")
        c.note(
            f"header line {text!r} does not look like {what}; left out rather than guessed",
            Span(idx + 1, 0, len(page.norms[idx])),
            FIELD[open_slots[0]] if open_slots else None,
        )
    return left_out


def _between(idx: int, slot: str, found: dict[str, int]) -> bool:
    """Could a line at `idx` hold `slot`, given the slots placed around it?"""
    rank = SLOTS.index(slot)
    return all((at < idx) == (SLOTS.index(other) < rank) for other, at in found.items() if other != slot)


def _slot(text: str, city: str | None, limit: int, found: dict[str, int]) -> str | None:
    allowed = SLOTS[:limit]
    if is_figure(text):
        return "population" if "population" in allowed else None
    if is_block_label(text) or len(text) > 80 or text.endswith((".", ":")):
        return None
    if "name" in allowed and names_city(text, city):
        return "name"
    if "country" in allowed and is_country(text):
        return "country"
    if "mayor" in allowed and looks_like_people(text) and not names_city(text, city):
        return "mayor"
    if allowed == ("name",) and "country" in found and looks_like_place(text):
        return "name"  # the site prints the city right before the country
    return None


def looks_like_place(text: str) -> bool:
    words = text.replace(",", " ").split()
    return 1 <= len(words) <= 6 and all(
        w[:1].isupper() or w.lower() in {"de", "la", "of", "am", "upon"} for w in words
    )


def put_header(page: Page, idx: int, slot: str, c: Collector) -> bool:
    """Store one header value; False when the line does not fit the slot."""
    sent = page.sent(idx)
    text = sent.text
    if slot == "population":
        m = POPULATION_LOOSE.match(text)
        if m is None:
            return False
        value = sent.group(m, "value")
        if value is None:
            return False
        c.put(("city", "population", "value"), V(int(re.sub(r"\D", "", str(value.value))), value.span))
        if m.group("year") is None:
            c.note("the population figure has no year", sent.whole(m), "city.population.year")
        elif (year := sent.group(m, "year")) is not None:
            c.put(("city", "population", "year"), V(int(year.value), year.span))
        if not POPULATION.match(text):
            c.note(
                f"the population figure {text!r} is not grouped in thousands; its digits were kept",
                sent.whole(m),
                "city.population.value",
            )
        return True
    if is_figure(text):
        return False
    if slot == "mayor" and is_country(text):
        return False
    end = len(text)
    if slot == "mayor" and (qualifier := QUALIFIER.search(text)) is not None:
        end = qualifier.start()
        c.note(
            f"the mayor's name is followed by ({qualifier.group('note')}); the name was kept without it",
            sent.whole(qualifier),
            "city.mayor",
        )
    v = sent.piece(0, end, strip=" ,;")
    if v is None:
        return False
    if slot == "name":
        c.put(("city", "name"), v, overwrite=True)
        c.kind(idx + 1, "heading")
    else:
        c.put(("city", slot), v)
    return True
